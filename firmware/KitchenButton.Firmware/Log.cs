using System;

namespace KitchenButton.Firmware
{
    /// <summary>
    /// The serial log. <c>Debug.WriteLine</c> is <c>[Conditional("DEBUG")]</c> in nanoFramework's
    /// mscorlib, so a Release image would print nothing; <c>Console.WriteLine</c> is not conditional
    /// and goes to the same native output (the serial port, or the debugger when attached).
    /// Never pass a secret: lines are read by whoever holds the cable.
    /// </summary>
    internal static class Log
    {
        public static void Line(string text)
        {
            Console.WriteLine(text);
        }
    }
}

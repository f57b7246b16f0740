using System.Threading;

namespace KitchenButton.Firmware
{
    /// <summary>Entry point of the button firmware.</summary>
    public static class Program
    {
        public static void Main()
        {
            new ButtonApp().Run();
            Thread.Sleep(Timeout.Infinite);
        }
    }
}

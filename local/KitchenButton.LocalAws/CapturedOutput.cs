using System;
using System.IO;
using System.Text;

namespace KitchenButton.LocalAws;

/// <summary>
/// Stands in for a function's raw standard output: keeps the exact bytes written, from any thread,
/// and reads them back as text or lines.
/// </summary>
public sealed class CapturedOutput : MemoryStream
{
    private readonly object _lock = new();

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_lock)
        {
            base.Write(buffer, offset, count);
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_lock)
        {
            base.Write(buffer);
        }
    }

    public byte[] Bytes()
    {
        lock (_lock)
        {
            return ToArray();
        }
    }

    public override string ToString() => Encoding.UTF8.GetString(Bytes());

    public string[] Lines() => ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

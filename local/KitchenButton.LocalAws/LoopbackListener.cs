using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.LocalAws;

/// <summary>
/// An HTTP listener on a free loopback port that hands every request to a handler on its own task,
/// until disposed: the transport of the local stand-ins for AWS services.
/// </summary>
public sealed class LoopbackListener : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<HttpListenerContext, Task> _handle;
    private readonly Task _loop;
    private int _disposed;

    /// <param name="port">The port to listen on; a free one unless given.</param>
    public LoopbackListener(Func<HttpListenerContext, Task> handle, int? port = null)
    {
        _handle = handle;
        Port = port ?? DynaliteProcess.FreePort();
        _listener.Prefixes.Add("http://127.0.0.1:" + Port + "/");
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>Cancelled when the listener stops: long-held requests give up with it.</summary>
    public CancellationToken Stopping => _stop.Token;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Close alone, not Stop then Close: on Linux the managed listener's Close looks up the port's
        // endpoint listener again and, Stop having removed it, binds the port anew to remove the
        // prefix from it, failing with "Address already in use" when another process took the port
        // in between (seen in CI). Close removes the prefix from the live one and ends the accept loop.
        _stop.Cancel();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => _handle(context));
        }
    }
}

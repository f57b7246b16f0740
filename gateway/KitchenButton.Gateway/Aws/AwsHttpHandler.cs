using System;
using System.Net;
using System.Net.Http;

namespace KitchenButton.Gateway.Aws;

/// <summary>
/// The HTTP handler for the gateway's AWS calls and the Runtime API: no cookies (AWS APIs set none,
/// and the cookie container is consulted on every request), no redirects (a signed request must not
/// be replayed to another host), no decompression, pooled connections renewed every few minutes so a
/// long-lived execution environment follows DNS changes.
/// </summary>
public static class AwsHttpHandler
{
    public static SocketsHttpHandler Create() => new()
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };
}

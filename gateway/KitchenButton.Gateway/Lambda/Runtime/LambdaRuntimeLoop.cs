using System;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Lambda.Runtime;

/// <summary>
/// The custom runtime's loop (provided.al2023): build the gateway once, then take invocations one at
/// a time, hand each its deadline, and report its result or its error. A handler that cannot be
/// resolved or a gateway that cannot be built is an initialization error: Lambda discards the
/// environment. An exception from a handler fails only that invocation.
/// </summary>
public static class LambdaRuntimeLoop
{
    /// <param name="handler">The function's handler setting (_HANDLER): a method of <see cref="Functions"/>, alone or as Assembly::Type::Method.</param>
    /// <param name="compose">Builds the gateway (once): the environment's settings and credentials in Lambda.</param>
    /// <param name="maxInvocations">Stop after this many (tests); null runs until cancelled, as in Lambda.</param>
    /// <param name="afterInvocation">Called after each invocation is reported (the bench's allocation probe).</param>
    public static async Task RunAsync(RuntimeApiClient api, string? handler, Func<GatewayComposition> compose, int? maxInvocations, CancellationToken cancellationToken, Action? afterInvocation = null)
    {
        Functions functions;
        string method;
        try
        {
            method = Functions.Resolve(handler);
            functions = new Functions(compose());
        }
        catch (Exception e)
        {
            await api.ReportInitErrorAsync(e, cancellationToken);
            return;
        }

        for (int handled = 0; maxInvocations == null || handled < maxInvocations; handled++)
        {
            RuntimeInvocation invocation = await api.NextAsync(cancellationToken);

            // The X-Ray SDK reads the trace header from here, as in the managed runtimes.
            Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", invocation.TraceId);
            byte[] result;
            try
            {
                result = await functions.InvokeAsync(method, invocation.Event, invocation.Deadline);
            }
            catch (Exception e)
            {
                await api.ReportInvocationErrorAsync(invocation.RequestId, e, cancellationToken);
                afterInvocation?.Invoke();
                continue;
            }

            await api.RespondAsync(invocation.RequestId, result, cancellationToken);
            afterInvocation?.Invoke();
        }
    }
}

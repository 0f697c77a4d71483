using System.Globalization;
using Microsoft.Extensions.Options;

namespace Bffs.Backends;

/// <summary>Faults applied to every request (config section <c>Faults</c>); the per-request knobs override them.</summary>
internal sealed class FaultOptions
{
    public int DelayMs { get; set; }

    public int? Status { get; set; }
}

/// <summary>
/// Test knobs, each read from a request header or else a query parameter:
/// <c>X-Demo-Delay</c>/<c>demo-delay</c> (ms to wait first, honouring RequestAborted),
/// <c>X-Demo-Drop</c>/<c>demo-drop</c>=true (abort the connection without a response),
/// <c>X-Demo-Status</c>/<c>demo-status</c> (answer that status with a problem body instead of the endpoint).
/// A knob set to 0 (or false) switches off the matching <c>Faults</c> default for that request.
/// </summary>
internal sealed partial class FaultMiddleware(
    RequestDelegate next,
    IOptionsMonitor<FaultOptions> options,
    TimeProvider time,
    ILogger<FaultMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var delayMs = options.CurrentValue.DelayMs;
        var status = options.CurrentValue.Status ?? 0;
        var drop = false;
        if (!TryRead(context, "X-Demo-Delay", "demo-delay", ref delayMs)
            || !TryRead(context, "X-Demo-Status", "demo-status", ref status)
            || !TryRead(context, "X-Demo-Drop", "demo-drop", ref drop)
            || delayMs < 0
            || status is not (0 or (>= 200 and <= 599)))
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid demo fault knob",
                detail: "X-Demo-Delay takes milliseconds >= 0, X-Demo-Status 200-599 (0 = none), X-Demo-Drop true or false.")
                .ExecuteAsync(context);
            return;
        }

        if (delayMs > 0)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(delayMs), time, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                Log.DelayAborted(logger, context.Request.Path, delayMs);
                return;
            }
        }

        if (drop)
        {
            Log.Dropped(logger, context.Request.Path);
            context.Abort();
        }
        else if (status != 0)
        {
            Log.StatusInjected(logger, context.Request.Path, status);
            await WriteStatusAsync(context, status);
        }
        else
        {
            await next(context);
        }
    }

    private static Task WriteStatusAsync(HttpContext context, int status)
    {
        if (status is StatusCodes.Status204NoContent or StatusCodes.Status304NotModified)
        {
            context.Response.StatusCode = status; // these must not carry a body
            return Task.CompletedTask;
        }

        return Results.Problem(statusCode: status, title: "Injected fault",
            detail: $"Status {status} was requested with X-Demo-Status / demo-status / Faults:Status.").ExecuteAsync(context);
    }

    /// <summary>Overwrites <paramref name="value"/> when the knob is present; false when it is present but unparsable.</summary>
    private static bool TryRead<T>(HttpContext context, string header, string query, ref T value)
        where T : IParsable<T>
    {
        var raw = context.Request.Headers[header].ToString();
        if (raw.Length == 0)
        {
            raw = context.Request.Query[query].ToString();
        }

        if (raw.Length == 0)
        {
            return true;
        }

        if (!T.TryParse(raw.Trim(), CultureInfo.InvariantCulture, out var parsed))
        {
            return false;
        }

        value = parsed;
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Demo fault: answering {Path} with status {Status}")]
        public static partial void StatusInjected(ILogger logger, PathString path, int status);

        [LoggerMessage(2, LogLevel.Information, "Demo fault: dropping the connection for {Path}")]
        public static partial void Dropped(ILogger logger, PathString path);

        [LoggerMessage(3, LogLevel.Debug, "Demo fault: client went away during the {DelayMs} ms delay on {Path}")]
        public static partial void DelayAborted(ILogger logger, PathString path, int delayMs);
    }
}

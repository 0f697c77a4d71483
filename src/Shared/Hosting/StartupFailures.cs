using Microsoft.Extensions.Options;

namespace Bff.Shared.Hosting;

/// <summary>Turns whatever stopped a host from starting into one readable sentence (never a stack trace).</summary>
internal static class StartupFailures
{
    public static string Describe(Exception exception)
    {
        switch (exception)
        {
            case BffStartupException known:
                return known.Message;
            case OptionsValidationException options:
                return string.Join("; ", options.Failures);
            case AggregateException aggregate:
                return string.Join("; ", aggregate.Flatten().InnerExceptions.Select(Describe).Distinct());
            case IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } bind:
                // Kestrel: "Failed to bind to address http://127.0.0.1:5100: address already in use."
                return $"{bind.Message.TrimEnd('.')} (Urls / ASPNETCORE_URLS / Kestrel:Endpoints name a port another process holds).";
        }
        // Anything else: the messages of the exception and its causes, outermost first.
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var message = e.Message.Trim();
            if (message.Length > 0 && !messages.Any(m => m.Contains(message, StringComparison.Ordinal))) messages.Add(message);
        }
        return $"{exception.GetType().Name}: {string.Join(" — ", messages)}";
    }
}

using Microsoft.Extensions.Options;

namespace Bff.Shared.Proxies;

/// <summary>Every bad <c>Gateway:KnownProxies</c>/<c>KnownNetworks</c> entry, named, fails the start.</summary>
internal sealed class TrustedProxiesValidation : IValidateOptions<TrustedProxiesOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustedProxiesOptions options) =>
        options.Errors().ToList() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
}

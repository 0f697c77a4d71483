namespace Bff.Shared.ApiKeys;

/// <summary>The outcome of checking a presented key.</summary>
internal sealed record ApiKeyValidation(ApiKeyFailure Failure, ApiKeyRecord? Key)
{
    public bool Succeeded => Failure == ApiKeyFailure.None;
}

namespace Bff.Shared.ApiKeys;

/// <summary>The result of the key check, for the challenge that follows a failure.</summary>
internal sealed record ApiKeyFailureFeature(ApiKeyFailure Failure);

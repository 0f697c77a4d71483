namespace Bff.Shared.ApiKeys;

/// <summary>Why a key was refused (never says which part of a key was wrong to the client).</summary>
internal enum ApiKeyFailure { None, Malformed, Unknown, Revoked, Expired, ClientDisabled, InQuery, Blocked, StoreUnavailable }

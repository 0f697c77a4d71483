namespace Bff.Shared.Sessions;

internal sealed record SessionFailureFeature(SessionFailure Failure);

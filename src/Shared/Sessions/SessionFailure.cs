namespace Bff.Shared.Sessions;

internal enum SessionFailure { None, MissingCsrf, ForeignOrigin, Expired }

namespace Bff.Shared.Hosting;

/// <summary>
/// A reason a host cannot start, worded for the operator (what is wrong, where, what to do). The host prints the
/// message as its last console line and exits with code 1, without a stack trace.
/// </summary>
internal sealed class BffStartupException(string message, Exception? inner = null) : Exception(message, inner);

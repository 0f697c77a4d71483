namespace Bff.Shared.Observability;

public enum RequestLogMode { All, Errors, Off }

namespace Bff.Shared.Aggregation;

/// <summary>A part's answer would take the aggregate past its MaxResponseBytes.</summary>
internal sealed class AggregateTooLargeException() : IOException("The aggregate response exceeds its size limit.");

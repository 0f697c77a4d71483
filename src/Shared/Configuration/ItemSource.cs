namespace Bff.Shared.Configuration;

/// <summary>Where a route or aggregate came from: its file and its index in that file's array.</summary>
internal sealed record ItemSource(string File, int Index);

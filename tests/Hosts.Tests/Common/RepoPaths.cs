namespace Bff.Hosts.Tests.Common;

/// <summary>Locates the repository (the folder holding Bffs.sln) and the hosts' build output.</summary>
internal static class RepoPaths
{
    public static string Root => Bff.Testing.RepoRoot.Path;

    public static string RouteFolder(string bff) => Path.Combine(Root, "ocelot", bff);

    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The host's own build output (same configuration as this test assembly).</summary>
    public static string HostDll(string host) => Path.Combine(Root, "src", host, "bin", Configuration, "net10.0", host + ".dll");

    /// <summary>The demo backends' build output.</summary>
    public static string BackendsDll() => Path.Combine(Root, "samples", "Backends", "bin", Configuration, "net10.0", "Backends.dll");
}

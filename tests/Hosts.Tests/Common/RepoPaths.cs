namespace Bff.Hosts.Tests.Common;

/// <summary>Locates the repository (the folder holding Bffs.sln) and the hosts' build output.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Bffs.sln"))) return dir.FullName;
        throw new InvalidOperationException("Bffs.sln not found above " + AppContext.BaseDirectory);
    }

    public static string RouteFolder(string bff) => Path.Combine(Root, "ocelot", bff);

    /// <summary>The host's own build output (same configuration as this test assembly).</summary>
    public static string HostDll(string host)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(Root, "src", host, "bin", configuration, "net10.0", host + ".dll");
    }
}

namespace Bff.Testing;

/// <summary>The repository checkout: the folder holding Bffs.sln, found above the test binaries.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Bffs.sln"))) return dir.FullName;
        throw new InvalidOperationException("Bffs.sln not found above " + AppContext.BaseDirectory);
    }
}

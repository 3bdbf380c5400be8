namespace Freshet.ProtocolGen;

/// <summary>Locates the repository folders the generator reads and writes.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SchemaDir => Path.Combine(Root, "tools", "Freshet.ProtocolGen", "Schema");

    public static string GeneratedDir => Path.Combine(Root, "src", "Freshet.Protocol", "Messages", "Generated");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Freshet.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Run from inside the Freshet repository (no Freshet.slnx found above the current directory).");
    }
}

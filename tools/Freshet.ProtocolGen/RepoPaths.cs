namespace Freshet.ProtocolGen;

/// <summary>Locates the repository folders the generator reads and writes.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SchemaDir => Path.Combine(Root, "tools", "Freshet.ProtocolGen", "Schema");

    /// <summary>
    /// Kafka's metadata log records, kept by hand in our schema form: the imported reference set
    /// has no metadata record definitions, and <c>import</c> rewrites only the top folder.
    /// </summary>
    public static string MetadataSchemaDir => Path.Combine(SchemaDir, "metadata");

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

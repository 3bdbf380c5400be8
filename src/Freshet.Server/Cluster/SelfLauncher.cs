using System.Diagnostics;
using System.Reflection;

namespace Freshet.Server.Cluster;

/// <summary>How to start another process of this same <c>freshet</c> executable.</summary>
internal static class SelfLauncher
{
    /// <summary>
    /// The program to run and the arguments that come before freshet's own: the apphost or single-file executable
    /// runs as itself, while under the <c>dotnet</c> host (<c>dotnet freshet.dll</c>) the entry assembly goes first.
    /// </summary>
    public static (string FileName, IReadOnlyList<string> LeadingArguments) Command(string processPath, string entryAssemblyPath)
    {
        var name = Path.GetFileNameWithoutExtension(processPath);
        return string.Equals(name, "dotnet", StringComparison.OrdinalIgnoreCase)
            ? (processPath, [entryAssemblyPath])
            : (processPath, []);
    }

    public static ProcessStartInfo StartInfo(IReadOnlyList<string> freshetArguments)
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        // Only the dotnet host needs the entry assembly's path; a native (ahead-of-time) executable has none, so it
        // is named from the base directory rather than Assembly.Location.
        var entryName = Assembly.GetEntryAssembly()?.GetName().Name ?? throw new InvalidOperationException("The entry assembly is unknown.");
        var entry = Path.Combine(AppContext.BaseDirectory, entryName + ".dll");
        var (fileName, leading) = Command(processPath, entry);
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in leading)
            info.ArgumentList.Add(argument);
        foreach (var argument in freshetArguments)
            info.ArgumentList.Add(argument);
        return info;
    }
}

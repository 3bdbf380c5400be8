using System.Collections;
using Freshet.Broker.Configuration;
using Freshet.Server.Cli;

namespace Freshet.Server.Configuration;

/// <summary>
/// Gathers Kafka-named settings from their sources in precedence order: the --config file,
/// then FRESHET_* environment variables, then the command line. Later entries win when the
/// loader applies them.
/// </summary>
internal static class ServerSettings
{
    public const string EnvironmentPrefix = "FRESHET_";

    /// <exception cref="ConfigException">The file cannot be read or parsed, or an --override is malformed.</exception>
    public static List<KeyValuePair<string, string>> Collect(ServeArguments args, IDictionary environment)
    {
        var settings = new List<KeyValuePair<string, string>>();
        if (args.ConfigFile is not null)
            settings.AddRange(ReadFile(args.ConfigFile));
        settings.AddRange(FromEnvironment(environment));
        settings.AddRange(FromCommandLine(args));
        return settings;
    }

    public static IEnumerable<KeyValuePair<string, string>> ReadFile(string path)
    {
        try
        {
            return PropertiesFile.Load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException or NotSupportedException)
        {
            throw new ConfigException($"cannot read config file '{path}': {e.Message}", e);
        }
    }

    /// <summary>FRESHET_LOG_DIRS → log.dirs: lower case, underscores become dots.</summary>
    public static IEnumerable<KeyValuePair<string, string>> FromEnvironment(IDictionary environment)
    {
        var found = new List<KeyValuePair<string, string>>();
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is not string key || !key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) || key.Length == EnvironmentPrefix.Length)
                continue;
            var name = key[EnvironmentPrefix.Length..].ToLowerInvariant().Replace('_', '.');
            found.Add(new(name, entry.Value as string ?? string.Empty));
        }

        // Environment order is arbitrary; sorting keeps the outcome the same from run to run.
        found.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return found;
    }

    public static IEnumerable<KeyValuePair<string, string>> FromCommandLine(ServeArguments args)
    {
        if (args.Listeners is not null)
            yield return new("listeners", args.Listeners);
        if (args.AdvertisedListeners is not null)
            yield return new("advertised.listeners", args.AdvertisedListeners);
        if (args.DataDir is not null)
            yield return new("log.dirs", args.DataDir);
        if (args.NodeId is not null)
            yield return new("node.id", args.NodeId);
        foreach (var item in args.Overrides)
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new ConfigException($"invalid --override '{item}' (expected key=value)");
            yield return new(item[..eq].Trim(), item[(eq + 1)..]);
        }
    }
}

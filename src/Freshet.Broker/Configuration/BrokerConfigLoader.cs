namespace Freshet.Broker.Configuration;

/// <summary>
/// Builds <see cref="BrokerOptions"/> from Kafka-named settings. Later settings with the same
/// name win; among synonyms Kafka's precedence holds (log.retention.ms over .minutes over
/// .hours, log.dirs over log.dir, log.roll.ms over log.roll.hours, node.id over broker.id).
/// </summary>
public static class BrokerConfigLoader
{
    /// <exception cref="ConfigException">A value is invalid; the message names property and value.</exception>
    public static BrokerOptions Load(IEnumerable<KeyValuePair<string, string>> settings) =>
        Load(settings, out _);

    /// <param name="unknownKeys">
    /// Names Freshet does not know. Kafka ignores these with a warning; they are kept in
    /// <see cref="BrokerOptions.OtherSettings"/> so DescribeConfigs shows them.
    /// </param>
    public static BrokerOptions Load(IEnumerable<KeyValuePair<string, string>> settings, out IReadOnlyList<string> unknownKeys)
    {
        var options = new BrokerOptions();
        unknownKeys = Apply(options, settings);
        return options;
    }

    /// <summary>Applies <paramref name="settings"/> over the values already in <paramref name="options"/>.</summary>
    /// <returns>The names Freshet does not know, in the order given.</returns>
    public static IReadOnlyList<string> Apply(BrokerOptions options, IEnumerable<KeyValuePair<string, string>> settings)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var (rawKey, value) in settings)
        {
            var key = rawKey.Trim();
            merged[key] = value;
            if (!BrokerConfigDefinitions.TryGet(key, out _) && !unknown.Contains(key))
                unknown.Add(key);
        }

        foreach (var definition in BrokerConfigDefinitions.All)
        {
            if (merged.TryGetValue(definition.Name, out var value))
                definition.Apply(options, value);
        }

        foreach (var key in unknown)
            options.OtherSettings[key] = merged[key];
        return unknown;
    }
}

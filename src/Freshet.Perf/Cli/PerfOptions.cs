using System.CommandLine;
using System.Globalization;
using Freshet.Perf.Load;

namespace Freshet.Perf.Cli;

/// <summary>
/// The options of <c>freshet perf produce|consume|e2e</c>, named as in Kafka's perf tools where they have a name
/// there, and their binding into <see cref="LoadSettings"/>. Each subcommand takes the subset that means something to it.
/// </summary>
internal sealed class PerfOptions
{
    public readonly Option<string> BootstrapServer = new("--bootstrap-server", "-b")
    {
        Description = "host:port of the broker",
        DefaultValueFactory = _ => "127.0.0.1:9092",
    };

    public readonly Option<string> Topic = new("--topic", "-t")
    {
        Description = "topic to load",
        DefaultValueFactory = _ => "freshet-perf",
    };

    public readonly Option<long?> NumRecords = new("--num-records", "-n")
    {
        Description = "records in total [default: 1,000,000; e2e 10,000 unless --duration is given]",
    };

    public readonly Option<double?> Duration = new("--duration")
    {
        Description = "seconds to run instead of a record count",
    };

    public readonly Option<int?> RecordSize = new("--record-size", "-s")
    {
        Description = "bytes per record value [default: 100]",
    };

    public readonly Option<string?> PayloadFile = new("--payload-file")
    {
        Description = "send the non-empty lines of this file, in turn, instead of --record-size bytes",
    };

    public readonly Option<int> Partitions = new("--partitions", "-p")
    {
        Description = "partitions of the topic, created with this many if it does not exist",
        DefaultValueFactory = _ => 1,
    };

    public readonly Option<short> ReplicationFactor = new("--replication-factor", "-r")
    {
        Description = "replication factor of the topic when this run creates it",
        DefaultValueFactory = _ => 1,
    };

    public readonly Option<string> Acks = new("--acks")
    {
        Description = "0, 1 or all",
        DefaultValueFactory = _ => "1",
    };

    public readonly Option<string> Compression = new("--compression")
    {
        Description = "none, gzip, snappy, lz4 or zstd",
        DefaultValueFactory = _ => "none",
    };

    public readonly Option<double?> LingerMs = new("--linger-ms")
    {
        Description = "producer linger.ms [default: the client's, 5]",
    };

    public readonly Option<int?> BatchSize = new("--batch-size")
    {
        Description = "producer batch.size in bytes [default: the client's]",
    };

    public readonly Option<int> Producers = new("--producers")
    {
        Description = "producer clients, each on its own thread, sharing the records and the target rate",
        DefaultValueFactory = _ => 1,
    };

    public readonly Option<int> Consumers = new("--consumers")
    {
        Description = "consumer clients, each assigned a share of the partitions",
        DefaultValueFactory = _ => 1,
    };

    public readonly Option<double?> Throughput = new("--throughput")
    {
        Description = "target records/s over all producers, -1 for no limit [default: -1; e2e 1000]",
    };

    public readonly Option<double> Timeout = new("--timeout")
    {
        Description = "seconds without a record after which a consumer gives up",
        DefaultValueFactory = _ => 10,
    };

    public readonly Option<double> Warmup = new("--warmup")
    {
        Description = "seconds of records sent before e2e timing starts",
        DefaultValueFactory = _ => 1,
    };

    public readonly Option<string[]> Property = new("--property", "-X")
    {
        Description = "a librdkafka client property, key=value; repeatable",
        HelpName = "key=value",
    };

    public readonly Option<bool> Json = new("--json")
    {
        Description = "print the result as one JSON object",
    };

    /// <summary>Reads the options into settings; <see cref="ArgumentException"/> for values that make no sense.</summary>
    public LoadSettings Bind(ParseResult parse, string kind)
    {
        var e2e = kind == "e2e";
        var payloadFile = parse.GetValue(PayloadFile);
        var recordSize = parse.GetValue(RecordSize);
        if (payloadFile is not null && recordSize is not null)
            throw new ArgumentException("give either --record-size or --payload-file, not both");
        if (payloadFile is not null && !File.Exists(payloadFile))
            throw new ArgumentException($"--payload-file {payloadFile} does not exist");

        var duration = parse.GetValue(Duration);
        var numRecords = parse.GetValue(NumRecords) ?? (duration is null ? (e2e ? 10_000 : 1_000_000) : null);
        var defaults = new LoadSettings();
        var settings = new LoadSettings
        {
            BootstrapServers = parse.GetValue(BootstrapServer)!,
            Topic = parse.GetValue(Topic)!,
            NumRecords = numRecords,
            Duration = duration is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            RecordSize = recordSize ?? defaults.RecordSize,
            PayloadFile = payloadFile,
            Partitions = Get(parse, Partitions, defaults.Partitions),
            ReplicationFactor = Get(parse, ReplicationFactor, defaults.ReplicationFactor),
            Acks = ParseAcks(Get(parse, Acks, "1")),
            Compression = Get(parse, Compression, defaults.Compression).ToLowerInvariant(),
            LingerMs = parse.GetValue(LingerMs),
            BatchSize = parse.GetValue(BatchSize),
            Producers = Get(parse, Producers, defaults.Producers),
            Consumers = Get(parse, Consumers, defaults.Consumers),
            Throughput = parse.GetValue(Throughput) ?? (e2e ? 1000 : -1),
            Timeout = TimeSpan.FromSeconds(Get(parse, Timeout, defaults.Timeout.TotalSeconds)),
            Warmup = TimeSpan.FromSeconds(Get(parse, Warmup, defaults.Warmup.TotalSeconds)),
            ClientProperties = ParseProperties(parse.GetValue(Property) ?? []),
            Json = parse.GetValue(Json),
        };
        Validate(settings, e2e);
        return settings;
    }

    // An option the subcommand does not take reads as default(T); the run's default applies instead.
    private static T Get<T>(ParseResult parse, Option<T> option, T fallback) =>
        parse.CommandResult.Command.Options.Contains(option) ? parse.GetValue(option)! : fallback;

    internal static int ParseAcks(string value) => value.ToLowerInvariant() switch
    {
        "0" => 0,
        "1" => 1,
        "all" or "-1" => -1,
        _ => throw new ArgumentException($"--acks must be 0, 1 or all, not '{value}'"),
    };

    internal static IReadOnlyList<KeyValuePair<string, string>> ParseProperties(string[] pairs)
    {
        var properties = new List<KeyValuePair<string, string>>(pairs.Length);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw new ArgumentException($"--property takes key=value, not '{pair}'");
            properties.Add(new(pair[..equals].Trim(), pair[(equals + 1)..].Trim()));
        }

        return properties;
    }

    private static void Validate(LoadSettings settings, bool e2e)
    {
        if (settings.NumRecords is <= 0)
            throw new ArgumentException("--num-records must be positive");
        if (settings.Duration is { } d && d <= TimeSpan.Zero)
            throw new ArgumentException("--duration must be positive");
        var minSize = e2e ? EndToEndLoad.MinRecordSize : 1;
        if (settings.PayloadFile is null && settings.RecordSize < minSize)
            throw new ArgumentException($"--record-size must be at least {minSize.ToString(CultureInfo.InvariantCulture)}");
        if (settings.Partitions <= 0)
            throw new ArgumentException("--partitions must be positive");
        if (settings.ReplicationFactor <= 0)
            throw new ArgumentException("--replication-factor must be positive");
        if (settings.Producers <= 0 || settings.Consumers <= 0)
            throw new ArgumentException("--producers and --consumers must be positive");
        if (settings.Throughput == 0)
            throw new ArgumentException("--throughput must be positive, or -1 for no limit");
        if (settings.LingerMs is < 0 || settings.BatchSize is <= 0)
            throw new ArgumentException("--linger-ms must not be negative and --batch-size must be positive");
        ClientConfigs.ParseCompression(settings.Compression);
    }
}

using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Embedded;

// Time from the consumers' first JoinGroup to every one of them holding an assignment, for a
// group of N Confluent.Kafka consumers on an embedded broker, at a given initial rebalance delay.
// Usage: dotnet run -c Release --project bench/Freshet.Bench.Groups -- [consumers=10] [rounds=3] [delays=0,3000]
var consumers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var delays = (args.Length > 2 ? args[2] : "0,3000").Split(',').Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToArray();

Console.WriteLine($"{consumers} consumers, 12-partition topic, range assignor, {rounds} rounds per delay");
Console.WriteLine("group.initial.rebalance.delay.ms | join-to-all-assigned (ms), each round | median");
foreach (var delay in delays)
{
    var times = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        times.Add(await MeasureAsync(consumers, delay, round));
    }
    times.Sort();
    Console.WriteLine($"{delay,32} | {string.Join(", ", times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))} | {times[times.Count / 2]:F0}");
}

static async Task<double> MeasureAsync(int consumers, int delayMs, int round)
{
    var options = new EmbeddedBrokerOptions();
    options.Settings["group.initial.rebalance.delay.ms"] = delayMs.ToString(CultureInfo.InvariantCulture);
    await using var broker = await EmbeddedBroker.StartAsync(options);
    const string topic = "group-bench";
    using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
    {
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 12, ReplicationFactor = 1 }]);
    }

    // Warm the coordinator (creates __consumer_offsets) so the measurement is of the rebalance alone.
    using (var warm = new ConsumerBuilder<Ignore, Ignore>(Config(broker, $"warm-{round}")).Build())
    {
        warm.Subscribe(topic);
        var until = DateTime.UtcNow.AddSeconds(30);
        while (warm.Assignment.Count == 0 && DateTime.UtcNow < until)
        {
            warm.Consume(TimeSpan.FromMilliseconds(50));
        }
        warm.Close();
    }

    var group = $"bench-{delayMs}-{round}";
    var assigned = new long[consumers];
    var start = Stopwatch.GetTimestamp();
    var threads = Enumerable.Range(0, consumers).Select(i => new Thread(() =>
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(Config(broker, group)).Build();
        consumer.Subscribe(topic);
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(20));
            if (consumer.Assignment.Count > 0 && Volatile.Read(ref assigned[i]) == 0)
            {
                Volatile.Write(ref assigned[i], Stopwatch.GetTimestamp());
            }
            if (assigned.All(a => Volatile.Read(ref a) != 0))
            {
                break;
            }
        }
        consumer.Close();
    })).ToList();
    threads.ForEach(t => t.Start());
    threads.ForEach(t => t.Join());
    if (assigned.Any(a => a == 0))
    {
        throw new InvalidOperationException("Not every consumer got an assignment within 60 s.");
    }
    return Stopwatch.GetElapsedTime(start, assigned.Max()).TotalMilliseconds;
}

static ConsumerConfig Config(EmbeddedBroker broker, string group) => new()
{
    BootstrapServers = broker.BootstrapServers,
    GroupId = group,
    EnableAutoCommit = false,
    PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
    SessionTimeoutMs = 10000,
};

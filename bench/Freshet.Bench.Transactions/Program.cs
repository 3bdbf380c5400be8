using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Embedded;

// Transactional produce throughput (transactions of 100 and of 10,000 records) against plain idempotent produce,
// in the same run, one Confluent.Kafka producer against an embedded broker.
// Usage: dotnet run -c Release --project bench/Freshet.Bench.Transactions -- [records=100000] [value-bytes=100] [rounds=3] [linger-ms=5]
var records = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var valueBytes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
var lingerMs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;

await using var broker = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions());
const int Partitions = 4;
using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
{
    await admin.CreateTopicsAsync([new TopicSpecification { Name = "txn-bench", NumPartitions = Partitions, ReplicationFactor = 1 }]);
}
var value = new byte[valueBytes];
Random.Shared.NextBytes(value);

Console.WriteLine($"{records:N0} records of {valueBytes} B per round, {Partitions} partitions, {rounds} rounds, one producer per mode (linger.ms={lingerMs})");
Console.WriteLine("mode                       | records/s, each round           | median records/s | vs idempotent");
// The modes take turns round by round, after one untimed round each, so a noisy moment or a warming broker
// does not land on one mode alone.
(string Name, int PerTransaction)[] modes = [("idempotent, no transaction", 0), ("transactions of 10,000", 10_000), ("transactions of 100", 100)];
var producers = modes.Select(m => Producer(broker, m.PerTransaction, lingerMs)).ToArray();
var rates = modes.Select(_ => new List<double>()).ToArray();
for (var round = -1; round < rounds; round++)
{
    for (var m = 0; m < modes.Length; m++)
    {
        var rate = Measure(producers[m], records, value, modes[m].PerTransaction);
        if (round >= 0)
        {
            rates[m].Add(rate);
        }
    }
}
var baseline = Report(modes[0].Name, rates[0], null);
for (var m = 1; m < modes.Length; m++)
{
    Report(modes[m].Name, rates[m], baseline);
}
foreach (var producer in producers)
{
    producer.Dispose();
}

static double Report(string mode, List<double> rates, double? baseline)
{
    rates.Sort();
    var median = rates[rates.Count / 2];
    var ratio = baseline is { } b ? (median / b).ToString("P0", CultureInfo.InvariantCulture) : "-";
    Console.WriteLine($"{mode,-26} | {string.Join(", ", rates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture))),-31} | {median,16:N0} | {ratio}");
    return median;
}

static IProducer<Null, byte[]> Producer(EmbeddedBroker broker, int perTransaction, int lingerMs)
{
    var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig
    {
        BootstrapServers = broker.BootstrapServers,
        EnableIdempotence = true,
        LingerMs = lingerMs,
        TransactionalId = perTransaction > 0 ? $"bench-{perTransaction}" : null,
    }).Build();
    if (perTransaction > 0)
    {
        producer.InitTransactions(TimeSpan.FromSeconds(30));
    }
    return producer;
}

/// <summary>Records per second for one round of <paramref name="records"/>, in transactions of the given size (0: none).</summary>
static double Measure(IProducer<Null, byte[]> producer, int records, byte[] value, int perTransaction)
{
    var start = Stopwatch.GetTimestamp();
    for (var sent = 0; sent < records;)
    {
        var count = perTransaction > 0 ? Math.Min(perTransaction, records - sent) : records;
        if (perTransaction > 0)
        {
            producer.BeginTransaction();
        }
        for (var i = 0; i < count; i++)
        {
            Produce(producer, value);
        }
        if (perTransaction > 0)
        {
            producer.CommitTransaction(TimeSpan.FromSeconds(60));
        }
        else
        {
            producer.Flush(TimeSpan.FromSeconds(60));
        }
        sent += count;
    }
    return records / Stopwatch.GetElapsedTime(start).TotalSeconds;
}

static void Produce(IProducer<Null, byte[]> producer, byte[] value)
{
    while (true)
    {
        try
        {
            producer.Produce("txn-bench", new Message<Null, byte[]> { Value = value });
            return;
        }
        catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
        {
            producer.Poll(TimeSpan.FromMilliseconds(10));
        }
    }
}

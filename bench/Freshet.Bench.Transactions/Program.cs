using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Embedded;

// Transactional produce throughput (transactions of 100 and of 10,000 records) against plain idempotent produce,
// in the same run, one Confluent.Kafka producer against an embedded broker.
// Usage: dotnet run -c Release --project bench/Freshet.Bench.Transactions -- [records=200000] [value-bytes=100] [rounds=3]
var records = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
var valueBytes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;

await using var broker = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions());
const int Partitions = 4;
using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
{
    await admin.CreateTopicsAsync([new TopicSpecification { Name = "txn-bench", NumPartitions = Partitions, ReplicationFactor = 1 }]);
}
var value = new byte[valueBytes];
Random.Shared.NextBytes(value);

Console.WriteLine($"{records:N0} records of {valueBytes} B per round, {Partitions} partitions, {rounds} rounds, one producer (linger.ms=5)");
Console.WriteLine("mode                      | records/s, each round           | median records/s | vs idempotent");
var baseline = Report("idempotent, no transaction", Measure(broker, records, value, rounds, perTransaction: 0), null);
Report("transactions of 10,000", Measure(broker, records, value, rounds, perTransaction: 10_000), baseline);
Report("transactions of 100", Measure(broker, records, value, rounds, perTransaction: 100), baseline);

static double Report(string mode, List<double> rates, double? baseline)
{
    rates.Sort();
    var median = rates[rates.Count / 2];
    var ratio = baseline is { } b ? (median / b).ToString("P0", CultureInfo.InvariantCulture) : "-";
    Console.WriteLine($"{mode,-25} | {string.Join(", ", rates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture))),-31} | {median,16:N0} | {ratio}");
    return median;
}

static List<double> Measure(EmbeddedBroker broker, int records, byte[] value, int rounds, int perTransaction)
{
    var rates = new List<double>();
    var config = new ProducerConfig
    {
        BootstrapServers = broker.BootstrapServers,
        EnableIdempotence = true,
        LingerMs = 5,
        TransactionalId = perTransaction > 0 ? $"bench-{perTransaction}-{Guid.NewGuid():N}" : null,
    };
    using var producer = new ProducerBuilder<Null, byte[]>(config).Build();
    if (perTransaction > 0)
    {
        producer.InitTransactions(TimeSpan.FromSeconds(30));
    }
    // One untimed round warms the connection, the JIT and the partitions' producer state.
    for (var round = -1; round < rounds; round++)
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
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (round >= 0)
        {
            rates.Add(records / seconds);
        }
    }
    return rates;
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

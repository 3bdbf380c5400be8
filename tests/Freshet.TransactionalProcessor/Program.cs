using System.Globalization;
using Confluent.Kafka;

// A consume-transform-produce processor for the exactly-once tests, run as its own process so a test can SIGKILL it:
// reads the input read_committed from the group's committed offsets, copies each record to the output inside a
// transaction together with the input offsets, aborts a share of the transactions on purpose (rewinding to the
// transaction's start), and exits 0 once every input partition is consumed to its end.
// Progress goes to stdout: "ready", "committed <records>", "aborted <records>", "done".
//
// Arguments: bootstrap input-topic input-partitions output-topic group transactional-id records-per-transaction abort-percent seed
if (args.Length != 9)
{
    Console.Error.WriteLine("usage: bootstrap input partitions output group transactional-id records-per-transaction abort-percent seed");
    return 2;
}
var bootstrap = args[0];
var input = args[1];
var partitions = int.Parse(args[2], CultureInfo.InvariantCulture);
var output = args[3];
var group = args[4];
var transactionalId = args[5];
var perTransaction = int.Parse(args[6], CultureInfo.InvariantCulture);
var abortPercent = int.Parse(args[7], CultureInfo.InvariantCulture);
var random = new Random(int.Parse(args[8], CultureInfo.InvariantCulture));
var timeout = TimeSpan.FromSeconds(30);

using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
{
    BootstrapServers = bootstrap,
    TransactionalId = transactionalId,
    LingerMs = 5,
    BatchSize = 256 * 1024,
}).Build();
using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
{
    BootstrapServers = bootstrap,
    GroupId = group,
    EnableAutoCommit = false,
    IsolationLevel = IsolationLevel.ReadCommitted,
    AutoOffsetReset = AutoOffsetReset.Earliest,
    FetchWaitMaxMs = 50,
}).Build();

producer.InitTransactions(timeout);
var inputPartitions = Enumerable.Range(0, partitions).Select(p => new TopicPartition(input, p)).ToList();
var positions = new Dictionary<TopicPartition, long>();
foreach (var committed in consumer.Committed(inputPartitions, timeout))
{
    positions[committed.TopicPartition] = committed.Offset.Value < 0 ? 0 : committed.Offset.Value;
}
Console.WriteLine("ready");

while (true)
{
    consumer.Assign(positions.Select(p => new TopicPartitionOffset(p.Key, p.Value)));
    var next = new Dictionary<TopicPartition, long>(positions);
    producer.BeginTransaction();
    var copied = 0;
    while (copied < perTransaction)
    {
        var record = consumer.Consume(TimeSpan.FromMilliseconds(copied == 0 ? 500 : 100));
        if (record is null)
        {
            break;
        }
        producer.Produce(output, new Message<byte[], byte[]> { Key = record.Message.Value, Value = record.Message.Value });
        next[record.TopicPartition] = record.Offset.Value + 1;
        copied++;
    }
    if (copied == 0)
    {
        producer.AbortTransaction(timeout);
        if (AtEnd(consumer, positions))
        {
            Console.WriteLine("done");
            return 0;
        }
        continue;
    }
    producer.SendOffsetsToTransaction(next.Select(p => new TopicPartitionOffset(p.Key, p.Value)), consumer.ConsumerGroupMetadata, timeout);
    if (random.Next(100) < abortPercent)
    {
        // Delivered first, so the aborted records are in the log for read_uncommitted readers (an abort drops unsent ones).
        producer.Flush(timeout);
        producer.AbortTransaction(timeout);
        Console.WriteLine($"aborted {copied}");
    }
    else
    {
        producer.CommitTransaction(timeout);
        positions = next;
        Console.WriteLine($"committed {copied}");
    }
}

static bool AtEnd(IConsumer<byte[], byte[]> consumer, Dictionary<TopicPartition, long> positions)
{
    foreach (var (partition, position) in positions)
    {
        if (consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High.Value > position)
        {
            return false;
        }
    }
    return true;
}

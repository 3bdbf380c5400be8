using System.Reflection;
using BenchmarkDotNet.Attributes;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Benchmarks;

/// <summary>
/// Encode then decode of every request (or every response) type at its highest version, with
/// default field values. One operation round-trips all of them once; the encoded total is printed
/// in setup ("bytes per operation") so throughput is that total divided by the mean time.
/// </summary>
[MemoryDiagnoser]
public class MessageCodecRoundTripBenchmarks : IDisposable
{
    private delegate IMessage ReadDelegate(ref KafkaReader reader, short version);

    private readonly PooledBufferWriter _buffer = new(64 * 1024);
    private (IMessage Message, short Version, ReadDelegate Read)[] _messages = [];

    [Params("Request", "Response")]
    public string Kind { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _messages = [.. ApiCatalog.All.Select(a =>
        {
            var type = typeof(IMessage).Assembly.GetType($"Freshet.Protocol.Messages.{a.Name}{Kind}")
                ?? throw new InvalidOperationException(a.Name + Kind);
            var version = (short)type.GetField("HighestSupportedVersion")!.GetValue(null)!;
            var read = (ReadDelegate)Delegate.CreateDelegate(typeof(ReadDelegate), type.GetMethod("Read", BindingFlags.Public | BindingFlags.Static)!);
            var message = (IMessage)Activator.CreateInstance(type)!;
            if (message is FetchSnapshotResponse snapshot)
            {
                snapshot.Topics.Add(new() { Partitions = [new() { UnalignedRecords = ReadOnlyMemory<byte>.Empty }] });
            }
            return (message, version, read);
        })];
        Console.WriteLine($"// {Kind}: {_messages.Length} message types, {RoundTripAll()} bytes per operation");
    }

    public void Dispose()
    {
        _buffer.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public int RoundTripAll()
    {
        var total = 0;
        foreach (var (message, version, read) in _messages)
        {
            _buffer.Reset();
            message.Write(new KafkaWriter(_buffer), version);
            var reader = new KafkaReader(_buffer.WrittenMemory);
            read(ref reader, version);
            total += _buffer.WrittenCount;
        }
        return total;
    }
}

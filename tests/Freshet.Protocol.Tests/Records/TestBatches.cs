using System.Buffers.Binary;
using System.Text;
using Freshet.Protocol.Records;

namespace Freshet.Protocol.Tests.Records;

internal static class TestBatches
{
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static Record[] SampleRecords(int count, long firstOffset = 0, long firstTimestamp = 1_700_000_000_000)
    {
        var records = new Record[count];
        for (var i = 0; i < count; i++)
        {
            records[i] = new Record(
                firstOffset + i,
                firstTimestamp + i * 7,
                i % 3 == 0 ? default(ReadOnlyMemory<byte>?) : Utf8($"key-{i}"),
                i % 5 == 4 ? default(ReadOnlyMemory<byte>?) : Utf8($"value-{i}-" + new string('x', i % 50)),
                i % 2 == 0 ? [] : [new RecordHeader("h", Utf8("hv")), new RecordHeader("n", null)]);
        }
        return records;
    }

    public static byte[] Build(int count, CompressionType compression = CompressionType.None) =>
        RecordBatchBuilder.Build(SampleRecords(count), new RecordBatchOptions { Compression = compression });

    /// <summary>Rewrites the CRC so that a test's deliberate edit is seen by the check after the CRC.</summary>
    public static void FixCrc(Span<byte> batch) =>
        BinaryPrimitives.WriteUInt32BigEndian(batch[RecordBatchHeader.CrcOffset..], RecordBatchHeader.ComputeCrc(batch));

    public static void AssertSameRecords(IReadOnlyList<Record> expected, IReadOnlyList<Record> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Offset, actual[i].Offset);
            Assert.Equal(expected[i].Timestamp, actual[i].Timestamp);
            AssertBytes(expected[i].Key, actual[i].Key);
            AssertBytes(expected[i].Value, actual[i].Value);
            Assert.Equal(expected[i].Headers.Length, actual[i].Headers.Length);
            for (var h = 0; h < expected[i].Headers.Length; h++)
            {
                Assert.Equal(expected[i].Headers[h].Key, actual[i].Headers[h].Key);
                AssertBytes(expected[i].Headers[h].Value, actual[i].Headers[h].Value);
            }
        }
    }

    public static void AssertBytes(ReadOnlyMemory<byte>? expected, ReadOnlyMemory<byte>? actual)
    {
        Assert.Equal(expected.HasValue, actual.HasValue);
        if (expected is { } e && actual is { } a)
        {
            Assert.Equal(e.ToArray(), a.ToArray());
        }
    }
}

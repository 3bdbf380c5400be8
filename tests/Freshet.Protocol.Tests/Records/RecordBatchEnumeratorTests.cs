using System.Buffers.Binary;
using Freshet.Protocol.Records;

namespace Freshet.Protocol.Tests.Records;

public class RecordBatchEnumeratorTests
{
    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    [Fact]
    public void Yields_each_batch_with_its_position()
    {
        var a = TestBatches.Build(3);
        var b = TestBatches.Build(4, CompressionType.Lz4);
        var data = Concat(a, b);
        var positions = new List<(int Position, int Length, int Count)>();
        var enumerator = new RecordBatchEnumerator(data);
        foreach (var batch in enumerator)
        {
            positions.Add((batch.Position, batch.Length, batch.Header.RecordCount));
        }
        Assert.Equal([(0, a.Length, 3), (a.Length, b.Length, 4)], positions);
    }

    [Fact]
    public void Stops_at_a_partial_trailing_batch_at_every_cut()
    {
        var a = TestBatches.Build(3);
        var b = TestBatches.Build(4);
        var data = Concat(a, b);
        for (var cut = a.Length + 1; cut < data.Length; cut++)
        {
            var enumerator = new RecordBatchEnumerator(data.AsSpan(0, cut));
            var count = 0;
            while (enumerator.MoveNext())
            {
                count++;
            }
            Assert.Equal(1, count);
            Assert.True(enumerator.HasPartialTrailingBatch);
            Assert.Equal(a.Length, enumerator.ValidBytes);
        }
    }

    [Fact]
    public void Whole_data_ends_without_error()
    {
        var data = Concat(TestBatches.Build(1), TestBatches.Build(2));
        var enumerator = new RecordBatchEnumerator(data);
        while (enumerator.MoveNext())
        {
        }
        Assert.Equal(RecordBatchError.None, enumerator.Error);
        Assert.False(enumerator.HasPartialTrailingBatch);
        Assert.Equal(data.Length, enumerator.ValidBytes);
    }

    [Fact]
    public void Verification_stops_at_a_corrupt_batch()
    {
        var a = TestBatches.Build(1);
        var b = TestBatches.Build(2);
        b[^1] ^= 0xFF;
        var data = Concat(a, b, TestBatches.Build(1));
        var enumerator = new RecordBatchEnumerator(data);
        var count = 0;
        while (enumerator.MoveNext())
        {
            count++;
        }
        Assert.Equal(1, count);
        Assert.Equal(RecordBatchError.CrcMismatch, enumerator.Error);
        Assert.Equal(a.Length, enumerator.ValidBytes);

        var framingOnly = new RecordBatchEnumerator(data, verify: false);
        count = 0;
        while (framingOnly.MoveNext())
        {
            count++;
        }
        Assert.Equal(3, count);
    }

    [Fact]
    public void Negative_length_stops_with_invalid_length()
    {
        var a = TestBatches.Build(1);
        BinaryPrimitives.WriteInt32BigEndian(a.AsSpan(RecordBatchHeader.BatchLengthOffset), -5);
        var enumerator = new RecordBatchEnumerator(a);
        Assert.False(enumerator.MoveNext());
        Assert.Equal(RecordBatchError.InvalidLength, enumerator.Error);
    }
}

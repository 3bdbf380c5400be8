using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Protocol.Tests.Messages;

public class HostileInputTests
{
    // What the declared sizes in these inputs would cost if they were allocated before being checked: the smallest
    // is a 32,767-byte string (64 KiB as UTF-16); the arrays would be gigabytes.
    private const long SmallestDeclaredAllocation = 64 * 1024;

    private static void AssertRejectedWithoutAllocating(byte[] bytes, short version)
    {
        // The first throw on a thread pays one-time costs (type loading, stack-trace and resource data) that a CI run
        // once measured at 9 KB; a first rejection outside the measurement leaves only the reader's own allocations.
        Assert.True(Rejects(bytes, version));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var thrown = Rejects(bytes, version);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(thrown);
        Assert.True(allocated < SmallestDeclaredAllocation / 8, $"allocated {allocated} bytes");
    }

    private static bool Rejects(byte[] bytes, short version)
    {
        try
        {
            var reader = new KafkaReader(bytes);
            ProduceRequest.Read(ref reader, version);
            return false;
        }
        catch (MalformedMessageException)
        {
            return true;
        }
    }

    [Fact]
    public void Huge_compact_array_count_is_rejected_before_allocating()
    {
        // transactional id null, acks, timeout, then a topic count of 0x0FFFFFFF.
        byte[] bytes = [0x00, 0xFF, 0xFF, 0x00, 0x00, 0x03, 0xE8, 0xFF, 0xFF, 0xFF, 0x7F, 0x00];
        AssertRejectedWithoutAllocating(bytes, 9);
    }

    [Fact]
    public void Huge_classic_array_count_is_rejected_before_allocating()
    {
        byte[] bytes = [0xFF, 0xFF, 0x00, 0x01, 0x00, 0x00, 0x03, 0xE8, 0x7F, 0xFF, 0xFF, 0xFF, 0x00];
        AssertRejectedWithoutAllocating(bytes, 3);
    }

    [Fact]
    public void Huge_string_length_is_rejected_before_allocating()
    {
        // transactional id of 32767 bytes with only a few present.
        byte[] bytes = [0x7F, 0xFF, 0x61, 0x62, 0x63];
        AssertRejectedWithoutAllocating(bytes, 3);
    }

    [Fact]
    public void Negative_array_count_other_than_null_is_rejected()
    {
        byte[] bytes = [0xFF, 0xFF, 0x00, 0x01, 0x00, 0x00, 0x03, 0xE8, 0xFF, 0xFF, 0xFF, 0xFE];
        AssertRejectedWithoutAllocating(bytes, 3);
    }

    [Fact]
    public void Unknown_tagged_fields_are_skipped()
    {
        byte[] bytes =
        [
            0x02, 0x78, 0x02, 0x31,     // client software name and version
            0x02,                       // two tagged fields
            0x05, 0x02, 0xAA, 0xBB,     // tag 5, 2 bytes
            0x63, 0x00,                 // tag 99, empty
        ];
        var reader = new KafkaReader(bytes);
        var request = ApiVersionsRequest.Read(ref reader, 3);
        Assert.True(reader.End);
        Assert.Equal("x", request.ClientSoftwareName);
    }

    [Fact]
    public void Unknown_tags_beside_known_tags_are_skipped()
    {
        var response = new FetchResponse { ThrottleTimeMs = 1 };
        response.NodeEndpoints.Add(new FetchResponse.NodeEndpoint { NodeId = 3, Host = "h", Port = 9092 });
        var reader = new KafkaReader(InsertUnknownTag(response));
        var read = FetchResponse.Read(ref reader, 16);
        Assert.True(reader.End);
        Assert.Equal(9092, read.NodeEndpoints[0].Port);
    }

    private static byte[] InsertUnknownTag(FetchResponse response)
    {
        // Encode the root fields with no tags, then append a hand-made tag section: an unknown
        // tag 7 (3 bytes) followed by the known tag 0 (node endpoints) copied from our encoding.
        var withTags = MessageCodec.Encode(response, 16);
        var withoutTags = MessageCodec.Encode(new FetchResponse { ThrottleTimeMs = 1 }, 16);
        var prefix = withoutTags[..^1];
        var knownTag = withTags[prefix.Length..][1..];
        return [.. prefix, 0x02, 0x07, 0x03, 0x01, 0x02, 0x03, .. knownTag];
    }
}

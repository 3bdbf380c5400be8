using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Protocol.Tests.Messages;

/// <summary>Expected bytes are spelled out from the protocol guide, not produced by our writer.</summary>
public class GoldenBytesTests
{
    private static byte[] Encode(IMessage message, short version) => MessageCodec.Encode(message, version);

    private static readonly RequestHeader Header = new()
    {
        RequestApiKey = 18,
        RequestApiVersion = 3,
        CorrelationId = 7,
        ClientId = "ab",
    };

    [Fact]
    public void Request_header_v1_has_a_classic_client_id()
    {
        byte[] expected =
        [
            0x00, 0x12,             // api key 18
            0x00, 0x03,             // api version 3
            0x00, 0x00, 0x00, 0x07, // correlation id
            0x00, 0x02, 0x61, 0x62, // client id "ab": int16 length
        ];
        Assert.Equal(expected, Encode(Header, 1));
    }

    [Fact]
    public void Request_header_v2_keeps_the_classic_client_id_and_adds_tagged_fields()
    {
        byte[] expected = [0x00, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x07, 0x00, 0x02, 0x61, 0x62, 0x00];
        Assert.Equal(expected, Encode(Header, 2));
        var reader = new KafkaReader(expected);
        var read = RequestHeader.Read(ref reader, 2);
        Assert.True(reader.End);
        Assert.Equal("ab", read.ClientId);
    }

    [Fact]
    public void Request_header_v2_accepts_a_null_client_id()
    {
        byte[] expected = [0x00, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x07, 0xFF, 0xFF, 0x00];
        Assert.Equal(expected, Encode(new RequestHeader { RequestApiKey = 18, RequestApiVersion = 3, CorrelationId = 7, ClientId = null }, 2));
    }

    [Fact]
    public void Response_header_v0_is_the_correlation_id()
    {
        Assert.Equal([0x00, 0x00, 0x01, 0x02], Encode(new ResponseHeader { CorrelationId = 258 }, 0));
    }

    [Fact]
    public void Response_header_v1_adds_an_empty_tagged_field_section()
    {
        Assert.Equal([0x00, 0x00, 0x01, 0x02, 0x00], Encode(new ResponseHeader { CorrelationId = 258 }, 1));
    }

    [Fact]
    public void ApiVersions_v3_request_uses_compact_strings()
    {
        var request = new ApiVersionsRequest { ClientSoftwareName = "x", ClientSoftwareVersion = "1.0" };
        byte[] expected =
        [
            0x02, 0x78,             // "x": compact length 1 + 1
            0x04, 0x31, 0x2E, 0x30, // "1.0"
            0x00,                   // no tagged fields
        ];
        Assert.Equal(expected, Encode(request, 3));
    }

    [Fact]
    public void Produce_v9_request_matches_the_protocol_guide()
    {
        var request = new ProduceRequest
        {
            TransactionalId = null,
            Acks = -1,
            TimeoutMs = 1000,
            TopicData =
            [
                new ProduceRequest.TopicProduceData
                {
                    Name = "t",
                    PartitionData = [new ProduceRequest.PartitionProduceData { Index = 2, Records = new byte[] { 1, 2, 3 } }],
                },
            ],
        };
        byte[] expected =
        [
            0x00,                   // transactional id: compact null
            0xFF, 0xFF,             // acks -1
            0x00, 0x00, 0x03, 0xE8, // timeout 1000
            0x02,                   // one topic
            0x02, 0x74,             // "t"
            0x02,                   // one partition
            0x00, 0x00, 0x00, 0x02, // index 2
            0x04, 0x01, 0x02, 0x03, // records: compact length 3 + 1
            0x00,                   // partition tagged fields
            0x00,                   // topic tagged fields
            0x00,                   // request tagged fields
        ];
        Assert.Equal(expected, Encode(request, 9));

        var reader = new KafkaReader(expected);
        var read = ProduceRequest.Read(ref reader, 9);
        Assert.True(reader.End);
        Assert.Null(read.TransactionalId);
        Assert.Equal(new byte[] { 1, 2, 3 }, read.TopicData[0].PartitionData[0].Records!.Value.ToArray());
    }

    [Fact]
    public void Fetch_v12_response_writes_a_non_default_tagged_field_with_its_size()
    {
        var partition = new FetchResponse.PartitionData { PartitionIndex = 0, Records = ReadOnlyMemory<byte>.Empty };
        partition.CurrentLeader.LeaderId = 5;
        partition.CurrentLeader.LeaderEpoch = 6;
        var response = new FetchResponse { Responses = [new FetchResponse.FetchableTopicResponse { Topic = "t", Partitions = [partition] }] };

        var bytes = Encode(response, 12);

        // The partition's tagged section: one field, tag 1, 9 bytes (two int32s and an empty tag section).
        byte[] tail = [0x01, 0x01, 0x09, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x06, 0x00];
        Assert.True(bytes.AsSpan().IndexOf(tail) > 0);
        var reader = new KafkaReader(bytes);
        var read = FetchResponse.Read(ref reader, 12);
        Assert.Equal(5, read.Responses[0].Partitions[0].CurrentLeader.LeaderId);
    }
}

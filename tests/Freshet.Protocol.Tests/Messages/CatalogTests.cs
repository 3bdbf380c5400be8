using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Protocol.Tests.Messages;

public class CatalogTests
{
    [Fact]
    public void Produce_spec_comes_from_the_schema()
    {
        Assert.True(ApiCatalog.TryGet(0, out var spec));
        Assert.Equal(ApiKey.Produce, spec.Key);
        Assert.Equal("Produce", spec.Name);
        Assert.Equal(0, spec.LowestVersion);
        Assert.Equal(11, spec.HighestVersion);
        Assert.Equal(9, spec.FirstFlexibleVersion);
        Assert.True(spec.ForBroker);
        Assert.False(spec.ForController);
        Assert.Equal(1, spec.RequestHeaderVersion(8));
        Assert.Equal(2, spec.RequestHeaderVersion(9));
        Assert.Equal(0, spec.ResponseHeaderVersion(8));
        Assert.Equal(1, spec.ResponseHeaderVersion(9));
    }

    [Fact]
    public void ApiVersions_always_answers_with_response_header_v0()
    {
        Assert.True(ApiCatalog.TryGet((short)ApiKey.ApiVersions, out var spec));
        Assert.Equal(2, spec.RequestHeaderVersion(3));
        Assert.Equal(0, spec.ResponseHeaderVersion(3));
    }

    [Fact]
    public void ControlledShutdown_v0_uses_request_header_v0()
    {
        Assert.True(ApiCatalog.TryGet((short)ApiKey.ControlledShutdown, out var spec));
        Assert.Equal(0, spec.RequestHeaderVersion(0));
        Assert.Equal(1, spec.RequestHeaderVersion(1));
    }

    [Fact]
    public void Unknown_api_keys_are_not_found()
    {
        Assert.False(ApiCatalog.TryGet(-1, out _));
        Assert.False(ApiCatalog.TryGet(30000, out _));
    }

    [Fact]
    public void Dispatch_reads_the_right_type_and_rejects_unknown_versions()
    {
        byte[] bytes = [0x02, 0x78, 0x02, 0x31, 0x00];
        var reader = new KafkaReader(bytes);
        Assert.IsType<ApiVersionsRequest>(ApiCatalog.ReadRequest(ApiKey.ApiVersions, 3, ref reader));
        Assert.Throws<MalformedMessageException>(() =>
        {
            var r = new KafkaReader(bytes);
            return ApiCatalog.ReadRequest(ApiKey.ApiVersions, 99, ref r);
        });
    }

    [Fact]
    public void Every_catalogued_api_has_request_and_response_types()
    {
        foreach (var spec in ApiCatalog.All)
        {
            var assembly = typeof(ApiCatalog).Assembly;
            Assert.NotNull(assembly.GetType($"Freshet.Protocol.Messages.{spec.Name}Request"));
            Assert.NotNull(assembly.GetType($"Freshet.Protocol.Messages.{spec.Name}Response"));
        }
    }

    [Fact]
    public void Error_codes_keep_kafka_names()
    {
        Assert.Equal((short)3, (short)ErrorCode.UnknownTopicOrPartition);
        Assert.Equal("UNKNOWN_TOPIC_OR_PARTITION", ErrorCodes.KafkaName(ErrorCode.UnknownTopicOrPartition));
        Assert.Equal("UNKNOWN_SERVER_ERROR", ErrorCodes.KafkaName(ErrorCode.UnknownServerError));
        Assert.Equal("NONE", ErrorCodes.KafkaName(ErrorCode.None));
    }
}

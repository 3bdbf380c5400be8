using Freshet.Broker.Configuration;
using Freshet.Broker.Handlers;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Tests.Requests;

public sealed class HandlerTableTests
{
    [Fact]
    public void ApiVersions_advertises_each_handler_within_the_schema_range()
    {
        HandlerRegistry? registry = null;
        registry = new HandlerRegistry([new ApiVersionsHandler(() => registry!)]);
        var response = ApiVersionsHandler.UnsupportedVersionResponse(registry);

        Assert.Equal((short)ErrorCode.UnsupportedVersion, response.ErrorCode);
        var advertised = Assert.Single(response.ApiKeys);
        var spec = ApiCatalog.Get(ApiKey.ApiVersions);
        Assert.Equal((short)ApiKey.ApiVersions, advertised.ApiKey);
        Assert.Equal(spec.LowestVersion, advertised.MinVersion);
        Assert.Equal(spec.HighestVersion, advertised.MaxVersion);
    }

    [Fact]
    public void Two_handlers_for_one_key_are_refused()
    {
        HandlerRegistry? registry = null;
        var error = Assert.Throws<InvalidOperationException>(() =>
            registry = new HandlerRegistry([new ApiVersionsHandler(() => registry!), new ApiVersionsHandler(() => registry!)]));
        Assert.Contains("ApiVersions", error.Message);
    }

    [Fact]
    public void Fetch_is_offered_only_from_version_4_because_older_versions_need_down_conversion()
    {
        var handler = new FetchHandler(null!, null!, new BrokerOptions(), null!);
        Assert.Equal(4, handler.MinVersion);
        Assert.Equal(ApiCatalog.Get(ApiKey.Fetch).HighestVersion, handler.MaxVersion);
    }
}

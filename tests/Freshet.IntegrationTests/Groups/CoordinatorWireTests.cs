using Freshet.IntegrationTests.Infrastructure;
using Freshet.Protocol.Messages;

namespace Freshet.IntegrationTests.Groups;

/// <summary>FindCoordinator over the wire, single and batched, and the internal topics it creates.</summary>
public sealed class CoordinatorWireTests
{
    [Fact]
    public async Task FindCoordinator_answers_groups_and_transactional_ids_with_this_broker()
    {
        await using var scope = await BrokerScope.StartAsync(GroupTestSupport.BrokerSettings);
        using var connection = await RawConnection.ConnectAsync(scope.BootstrapServers);

        await connection.SendAsync(new FindCoordinatorRequest { Key = "single", KeyType = 0 }, 3);
        var (_, single) = await connection.ReadResponseAsync<FindCoordinatorResponse>(ApiKey.FindCoordinator, 3);
        Assert.Equal((short)ErrorCode.None, single.ErrorCode);
        Assert.Equal(scope.BootstrapServers, $"{single.Host}:{single.Port}");

        await connection.SendAsync(new FindCoordinatorRequest { KeyType = 0, CoordinatorKeys = ["a", "b"] }, 4);
        var (_, batched) = await connection.ReadResponseAsync<FindCoordinatorResponse>(ApiKey.FindCoordinator, 4);
        Assert.Equal(["a", "b"], batched.Coordinators.Select(c => c.Key));
        Assert.All(batched.Coordinators, c => Assert.Equal((short)ErrorCode.None, c.ErrorCode));

        await connection.SendAsync(new FindCoordinatorRequest { KeyType = 1, CoordinatorKeys = ["txn", ""] }, 4);
        var (_, transactional) = await connection.ReadResponseAsync<FindCoordinatorResponse>(ApiKey.FindCoordinator, 4);
        Assert.Equal((short)ErrorCode.None, transactional.Coordinators[0].ErrorCode);
        Assert.Equal(scope.BootstrapServers, $"{transactional.Coordinators[0].Host}:{transactional.Coordinators[0].Port}");
        Assert.Equal((short)ErrorCode.InvalidRequest, transactional.Coordinators[1].ErrorCode);

        // The lookup created the internal, compacted offsets topic with Kafka's 50 partitions.
        await connection.SendAsync(new MetadataRequest { Topics = null }, 9);
        var (_, metadata) = await connection.ReadResponseAsync<MetadataResponse>(ApiKey.Metadata, 9);
        var offsetsTopic = Assert.Single(metadata.Topics, t => t.Name == "__consumer_offsets");
        Assert.True(offsetsTopic.IsInternal);
        Assert.Equal(50, offsetsTopic.Partitions.Count);
        var transactionTopic = Assert.Single(metadata.Topics, t => t.Name == "__transaction_state");
        Assert.True(transactionTopic.IsInternal);
        Assert.Equal(50, transactionTopic.Partitions.Count);
    }
}

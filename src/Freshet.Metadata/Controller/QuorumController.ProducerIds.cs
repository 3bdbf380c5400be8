using Freshet.Metadata.Records;
using Freshet.Protocol.Messages;

namespace Freshet.Metadata.Controller;

/// <summary>Producer id blocks for brokers' idempotent and transactional producers.</summary>
public sealed partial class QuorumController
{
    /// <summary>
    /// Hands the broker the next block of producer ids. The block's end is a record in the metadata
    /// log, so a controller that takes over continues after it and no id is ever given out twice.
    /// </summary>
    public Task<ProducerIdsReply> AllocateProducerIdsAsync(int brokerId, long brokerEpoch, CancellationToken token = default) =>
        SubmitAsync(t => AllocateProducerIdsCoreAsync(brokerId, brokerEpoch, t), (error, _) => new ProducerIdsReply(error, -1, 0), token);

    private async Task<ProducerIdsReply> AllocateProducerIdsCoreAsync(int brokerId, long brokerEpoch, CancellationToken token)
    {
        var image = _quorum.Image;
        if (!image.Brokers.TryGetValue(brokerId, out var broker))
            return new ProducerIdsReply(ErrorCode.BrokerIdNotRegistered, -1, 0);
        if (broker.Epoch != brokerEpoch)
            return new ProducerIdsReply(ErrorCode.StaleBrokerEpoch, -1, 0);
        var first = image.NextProducerId;
        var end = first + _options.ProducerIdBlockSize;
        await CommitAsync([MetadataRecord.Of(new ProducerIdsRecord { BrokerId = brokerId, BrokerEpoch = brokerEpoch, ProducerIdsEnd = end })], token).ConfigureAwait(false);
        return new ProducerIdsReply(ErrorCode.None, first, _options.ProducerIdBlockSize);
    }
}

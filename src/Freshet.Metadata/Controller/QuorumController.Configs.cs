using System.Collections.Immutable;
using Freshet.Metadata.Image;
using Freshet.Metadata.Records;
using Freshet.Protocol.Messages;

namespace Freshet.Metadata.Controller;

/// <summary>Config changes as ConfigRecords. Validating names and values is the broker's job before it asks.</summary>
public sealed partial class QuorumController
{
    public Task<ControllerReply> AlterConfigsAsync(ConfigResource resource, IReadOnlyList<ConfigChange> changes, bool validateOnly = false, CancellationToken token = default) =>
        SubmitAsync(t => AlterConfigsCoreAsync(resource, changes, validateOnly, t), Failed, token);

    /// <summary>The explicitly set configs of a resource in this node's image (empty when none are set).</summary>
    public ImmutableDictionary<string, string> GetConfigs(ConfigResource resource) =>
        _quorum.Image.Configs.GetValueOrDefault(resource) ?? ImmutableDictionary<string, string>.Empty;

    private async Task<ControllerReply> AlterConfigsCoreAsync(ConfigResource resource, IReadOnlyList<ConfigChange> changes, bool validateOnly, CancellationToken token)
    {
        var image = _quorum.Image;
        if (resource.Type == ConfigResource.TopicType && !image.TopicIdsByName.ContainsKey(resource.Name))
            return new ControllerReply(ErrorCode.UnknownTopicOrPartition, $"Topic '{resource.Name}' does not exist.");
        if (resource.Type != ConfigResource.TopicType && resource.Type != ConfigResource.BrokerType)
            return new ControllerReply(ErrorCode.InvalidRequest, $"Unsupported config resource type {resource.Type}.");
        if (validateOnly || changes.Count == 0)
            return ControllerReply.Ok;
        var records = new List<MetadataRecord>(changes.Count);
        foreach (var change in changes)
        {
            records.Add(MetadataRecord.Of(new ConfigRecord
            {
                ResourceType = resource.Type, ResourceName = resource.Name, Name = change.Name, Value = change.Value,
            }));
        }
        await CommitAsync(records, token).ConfigureAwait(false);
        return ControllerReply.Ok;
    }
}

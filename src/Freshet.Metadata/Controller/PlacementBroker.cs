namespace Freshet.Metadata.Controller;

/// <summary>A broker replicas may be placed on, with its rack (null when it has none).</summary>
internal readonly record struct PlacementBroker(int Id, string? Rack);

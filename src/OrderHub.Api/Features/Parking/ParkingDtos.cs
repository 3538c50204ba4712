namespace OrderHub.Api.Features.Parking;

/// <summary>A parked-orders queue as a pickup point has it.</summary>
/// <param name="Source"><c>company</c> (a company default), <c>overridden</c> (renamed at the point) or <c>point</c> (the point's own).</param>
public sealed record ParkedQueueDto(string Key, string Name, string Source);

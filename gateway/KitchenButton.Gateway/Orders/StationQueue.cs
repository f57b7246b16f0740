using System.Collections.Generic;

namespace KitchenButton.Gateway.Orders;

/// <summary>
/// One read of a station's queue: the tasks this press may claim, oldest first, and how many orders
/// wait there in all (claimed or not, expired ones excluded): the count the button's LED shows.
/// </summary>
public sealed record StationQueue(IReadOnlyList<Ticket> Claimable, int Waiting);

using System;
using System.Threading;
using System.Threading.Tasks;

namespace KitchenButton.Gateway.Orders;

/// <summary>
/// The station queues. Claims make concurrent presses safe: a task is claimed by one press at a time
/// (with a lease, so a crashed invocation does not hold it forever) before its token is used.
/// </summary>
public interface ITicketStore
{
    /// <summary>
    /// Reads the station's whole queue once: what <paramref name="claimant"/> may claim, oldest first
    /// (tickets parked by <paramref name="parkedBy"/>, or not dated), and the number waiting. Expired
    /// items are left out however many there are.
    /// </summary>
    Task<StationQueue> ReadAsync(string stationId, string claimant, DateTimeOffset parkedBy, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Claims one given task again (a retry resuming its own claim), only while it still holds the
    /// same token (a re-parked order under the same queue key is another task); null otherwise.
    /// </summary>
    Task<Ticket?> ClaimAsync(string stationId, string queueKey, string taskToken, string claimant, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Removes a task whose wait is over (answered or dead): only the item with that token, and only if no one else holds it.</summary>
    Task RemoveAsync(string stationId, string queueKey, string taskToken, string claimant, CancellationToken cancellationToken);

    /// <summary>Gives a claim up so the task can be taken again.</summary>
    Task ReleaseAsync(string stationId, string queueKey, string claimant, CancellationToken cancellationToken);

    /// <summary>Tasks waiting at the station (claimed or not), excluding expired ones.</summary>
    Task<int> CountAsync(string stationId, DateTimeOffset now, CancellationToken cancellationToken);
}

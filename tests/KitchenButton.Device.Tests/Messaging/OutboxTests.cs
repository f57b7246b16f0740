using System;
using System.Collections.Generic;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KitchenButton.Device.Input;
using KitchenButton.Device.Messaging;
using KitchenButton.Device.Protocol;
using Xunit;

namespace KitchenButton.Device.Tests.Messaging;

public sealed class OutboxTests
{
    private readonly PressMessage _message = new();

    [Fact]
    public void Presses_leave_in_the_order_they_came()
    {
        var outbox = new Outbox(4);
        outbox.AssignTimestamps(0);
        for (uint seq = 1; seq <= 3; seq++)
        {
            Assert.True(outbox.TryEnqueue(1, seq, seq * 1000, PressKind.Short, 100, false));
        }

        outbox.AssignTimestamps(1_764_000_000_000);
        for (uint seq = 1; seq <= 3; seq++)
        {
            Assert.True(outbox.TryPeekHead(_message));
            Assert.Equal(seq, _message.Seq);
            Assert.True(outbox.RemoveHead());
        }

        Assert.True(outbox.IsEmpty);
        Assert.False(outbox.RemoveHead());
    }

    [Fact]
    public void A_full_outbox_refuses_the_new_press_and_keeps_the_old_ones()
    {
        var outbox = new Outbox(2);
        Assert.True(outbox.TryEnqueue(1, 1, 0, PressKind.Short, 100, true));
        Assert.True(outbox.TryEnqueue(1, 2, 0, PressKind.Long, 2000, true));
        Assert.True(outbox.IsFull);
        Assert.False(outbox.TryEnqueue(1, 3, 0, PressKind.Short, 100, true));
        Assert.Equal(2, outbox.Count);
        Assert.Equal(1u, outbox.HeadSeq);
    }

    [Fact]
    public void Peeking_does_not_remove()
    {
        var outbox = new Outbox(2);
        outbox.TryEnqueue(1, 1, 0, PressKind.Short, 100, false);
        outbox.AssignTimestamps(1_764_000_000_000);
        Assert.True(outbox.TryPeekHead(_message));
        Assert.True(outbox.TryPeekHead(_message));
        Assert.Equal(1, outbox.Count);
    }

    [Fact]
    public void A_press_before_clock_sync_keeps_its_real_moment()
    {
        var outbox = new Outbox(2);
        // Released 5.4 s after boot; the clock is learned later: Unix time at uptime 0 was T.
        outbox.TryEnqueue(3, 1, 5_400, PressKind.Short, 120, true);
        Assert.False(outbox.HeadIsReady);
        Assert.False(outbox.TryPeekHead(_message));

        const long bootUnixMs = 1_764_000_000_000;
        outbox.AssignTimestamps(bootUnixMs);
        Assert.True(outbox.TryPeekHead(_message));
        Assert.Equal(1_764_000_005, _message.Timestamp);
        Assert.True(_message.Queued);
        Assert.Equal(3u, _message.Boot);

        // A later synchronisation does not move a time already assigned.
        outbox.AssignTimestamps(bootUnixMs + 60_000);
        outbox.TryPeekHead(_message);
        Assert.Equal(1_764_000_005, _message.Timestamp);
    }

    [Fact]
    public void A_press_already_sent_keeps_its_content_when_the_network_drops()
    {
        var outbox = new Outbox(3);
        outbox.TryEnqueue(1, 1, 0, PressKind.Short, 100, false);
        outbox.TryEnqueue(1, 2, 0, PressKind.Short, 100, false);
        outbox.AssignTimestamps(1_764_000_000_000);
        outbox.TryPeekHead(_message);

        outbox.MarkWaitingAsQueued();

        outbox.TryPeekHead(_message);
        Assert.False(_message.Queued);
        outbox.RemoveHead();
        outbox.TryPeekHead(_message);
        Assert.True(_message.Queued);
    }

    [Fact]
    public void Capacity_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Outbox(0));
    }

    /// <summary>The outbox behaves like an unbounded FIFO cut at its capacity, whatever the operations.</summary>
    [Property(MaxTest = 500)]
    public Property Behaves_like_a_bounded_queue()
    {
        Gen<int> op = Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Constant(2)));
        return Prop.ForAll(Gen.Choose(1, 8).ToArbitrary(), op.ArrayOf().ToArbitrary(), (capacity, ops) =>
        {
            var outbox = new Outbox(capacity);
            outbox.AssignTimestamps(0);
            var model = new Queue<uint>();
            var message = new PressMessage();
            uint next = 1;
            foreach (int o in ops)
            {
                if (o == 0)
                {
                    bool accepted = outbox.TryEnqueue(1, next, next, PressKind.Short, 50, false);
                    if (accepted != (model.Count < capacity))
                    {
                        return false;
                    }

                    if (accepted)
                    {
                        model.Enqueue(next++);
                    }
                }
                else if (o == 1)
                {
                    if (outbox.RemoveHead() != model.TryDequeue(out _))
                    {
                        return false;
                    }
                }
                else
                {
                    outbox.AssignTimestamps(1_764_000_000_000);
                    bool peeked = outbox.TryPeekHead(message);
                    if (peeked != (model.Count > 0) || (peeked && message.Seq != model.Peek()))
                    {
                        return false;
                    }
                }

                if (outbox.Count != model.Count || outbox.IsFull != (model.Count == capacity))
                {
                    return false;
                }
            }

            return true;
        });
    }
}

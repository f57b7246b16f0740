using System;
using KitchenButton.Gateway.Presses;
using KitchenButton.Gateway.Tests.Support;
using KitchenButton.LocalAws;
using Xunit;

namespace KitchenButton.Gateway.Tests.Presses;

public sealed class PressSignatureTests
{
    [Theory]
    [MemberData(nameof(GoldenVectors.Names), MemberType = typeof(GoldenVectors))]
    public void Every_golden_vector_verifies(string name)
    {
        GoldenVectors.Vector v = GoldenVectors.Named(name);
        Assert.Equal(v.Canonical, PressSignature.Canonical(v.Press));
        Assert.Equal(v.Press.Signature, PressSignature.Compute(v.Press, v.Secret));
        Assert.True(PressSignature.IsValid(v.Press, v.Secret));
    }

    [Fact]
    public void Changing_any_signed_field_breaks_the_signature()
    {
        GoldenVectors.Vector v = GoldenVectors.Named("short-first-press");
        Press p = v.Press;
        Press[] tampered =
        {
            p with { Thing = "pizza-oven-2" },
            p with { Boot = p.Boot + 1 },
            p with { Seq = p.Seq + 1 },
            p with { Timestamp = p.Timestamp + 1 },
            p with { Kind = PressKind.Long },
            p with { HeldMs = p.HeldMs + 1 },
            p with { Queued = !p.Queued },
        };
        foreach (Press t in tampered)
        {
            Assert.False(PressSignature.IsValid(t, v.Secret), t.ToString());
        }
    }

    [Fact]
    public void The_wrong_secret_or_a_short_secret_fails()
    {
        GoldenVectors.Vector v = GoldenVectors.Named("long-problem-press");
        byte[] other = (byte[])v.Secret.Clone();
        other[31] ^= 0x80;
        Assert.False(PressSignature.IsValid(v.Press, other));
        Assert.False(PressSignature.IsValid(v.Press, v.Secret.AsSpan(0, 16)));
    }

    [Fact]
    public void A_signature_that_is_not_hex_fails_without_throwing()
    {
        GoldenVectors.Vector v = GoldenVectors.Named("short-first-press");
        Assert.False(PressSignature.IsValid(v.Press with { Signature = new string('z', 64) }, v.Secret));
    }
}

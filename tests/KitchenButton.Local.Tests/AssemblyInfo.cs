using KitchenButton.Testing;
using Xunit;

// Every test here starts the local stack (Mosquitto, dynalite, the AOT bootstrap): the outer loop.
[assembly: AssemblyTrait(Tier.Name, Tier.Outer)]

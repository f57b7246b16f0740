namespace KitchenButton.Infrastructure; internal static class Program { private static void Main() { var app = new Amazon.CDK.App(); app.Synth(); } }

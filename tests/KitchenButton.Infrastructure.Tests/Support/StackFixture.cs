using System;
using System.IO;
using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.Assertions;

namespace KitchenButton.Infrastructure.Tests.Support;

/// <summary>Synthesises a stack once per settings, in a known account and region so ARNs are literal.</summary>
public sealed class StackFixture
{
    public const string Account = "123456789012";
    public const string Region = "eu-west-1";

    public StackFixture()
        : this(new StackSettings())
    {
    }

    private StackFixture(StackSettings settings)
    {
        string asset = Path.Combine(JsiiEnvironment.TempRoot, "gateway-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(asset);
        File.WriteAllText(Path.Combine(asset, "KitchenButton.Gateway.dll"), "stand-in for the published gateway");
        Settings = settings with { GatewayAssetPath = asset };
        var app = new App(new AppProps { Outdir = Path.Combine(JsiiEnvironment.TempRoot, "cdk.out-" + Guid.NewGuid().ToString("N")) });
        Stack = new KitchenButtonStack(app, "KitchenButton-test", Settings, new StackProps
        {
            Env = new Amazon.CDK.Environment { Account = Account, Region = Region },
        });
        Template = Template.FromStack(Stack);
        Json = new TemplateJson(JsonSerializer.SerializeToElement(Template.ToJSON()));
    }

    public StackSettings Settings { get; }

    public KitchenButtonStack Stack { get; }

    public Template Template { get; }

    public TemplateJson Json { get; }

    public static StackFixture With(StackSettings settings) => new(settings);
}

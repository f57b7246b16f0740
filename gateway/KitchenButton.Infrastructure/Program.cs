using System;
using Amazon.CDK;
using KitchenButton.Infrastructure;

// The CDK app. `cdk synth` / `cdk deploy` run it from gateway/KitchenButton.Infrastructure (cdk.json).
var app = new App();
StackSettings settings = StackSettings.FromContext(key => app.Node.TryGetContext(key));
string? assetProblem = GatewayAsset.Problem(settings);
if (assetProblem != null)
{
    Console.Error.WriteLine(assetProblem);
    return 2;
}

new KitchenButtonStack(app, "KitchenButton-" + settings.EnvironmentName, settings, new StackProps
{
    Description = "KitchenButton: buttons, gateway and order workflow (" + settings.EnvironmentName + ")",
    Env = new Amazon.CDK.Environment
    {
        Account = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_ACCOUNT"),
        Region = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_REGION"),
    },
});
app.Synth();
return 0;

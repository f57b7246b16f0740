using Xunit;

// The jsii runtime behind CDK is not thread-safe: parallel tests fail with '$jsii.byref' and hang.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

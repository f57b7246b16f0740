using System.Reflection;

[assembly: AssemblyTitle("KitchenButton.Firmware")]
[assembly: AssemblyDescription("KitchenButton prep button for ESP32 (.NET nanoFramework)")]
[assembly: AssemblyProduct("KitchenButton")]
[assembly: AssemblyVersion("0.1.0.0")]

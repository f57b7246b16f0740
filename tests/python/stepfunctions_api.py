"""Drives the local Step Functions with boto3, as any AWS SDK client would, and prints what it saw.

Usage: python3 stepfunctions_api.py ENDPOINT. Prints one JSON object; the C# test asserts on it.
Every call goes through botocore: SigV4 signing, the awsJson1.0 protocol, its response parsing and
its error-code mapping, so a shape the service gets wrong fails here as it would against a real SDK.
"""
import json
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

DEFINITION = {
    "QueryLanguage": "JSONata",
    "StartAt": "Park",
    "States": {
        "Park": {
            "Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:dynamodb:putItem.waitForTaskToken",
            "Arguments": {"Token": "{% $states.context.Task.Token %}", "Order": "{% $states.input.orderId %}"},
            "Output": "{% {'order': $states.input.orderId, 'by': $states.result.by} %}",
            "End": True,
        }
    },
}


def code(call):
    try:
        call()
        return "ok"
    except ClientError as e:
        return e.response["Error"]["Code"]


def main(endpoint):
    sfn = boto3.client(
        "stepfunctions",
        endpoint_url=endpoint,
        region_name="eu-west-1",
        aws_access_key_id="AKIDLOCAL",
        aws_secret_access_key="local-secret",
        config=Config(retries={"max_attempts": 1}),
    )
    seen = {}
    machine = sfn.create_state_machine(name="orders", definition=json.dumps(DEFINITION), roleArn="arn:aws:iam::123456789012:role/r")
    arn = machine["stateMachineArn"]
    seen["machineArn"] = arn
    seen["creationDateIsDatetime"] = hasattr(machine["creationDate"], "isoformat")
    seen["describedDefinitionSame"] = json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"]) == DEFINITION
    bad = dict(DEFINITION, States={"Park": dict(DEFINITION["States"]["Park"], Resource="arn:aws:states:::lambda:invoke")})
    seen["badDefinition"] = code(lambda: sfn.create_state_machine(name="bad", definition=json.dumps(bad), roleArn="arn:aws:iam::123456789012:role/r"))
    seen["missingMachine"] = code(lambda: sfn.start_execution(stateMachineArn=arn + "-nope", input="{}"))

    started = sfn.start_execution(stateMachineArn=arn, name="ord-1", input=json.dumps({"orderId": "ord-1"}))
    execution = started["executionArn"]
    seen["executionArn"] = execution
    seen["sameNameOtherInput"] = code(lambda: sfn.start_execution(stateMachineArn=arn, name="ord-1", input="{}"))

    token = None
    for _ in range(200):
        for event in sfn.get_execution_history(executionArn=execution)["events"]:
            if event["type"] == "TaskScheduled":
                token = json.loads(event["taskScheduledEventDetails"]["parameters"])["Token"]
        if token:
            break
        time.sleep(0.02)
    seen["running"] = sfn.describe_execution(executionArn=execution)["status"]
    seen["heartbeat"] = code(lambda: sfn.send_task_heartbeat(taskToken=token))
    seen["badOutput"] = code(lambda: sfn.send_task_success(taskToken=token, output="{nope"))
    seen["invalidToken"] = code(lambda: sfn.send_task_failure(taskToken="made-up", error="X", cause="y"))
    seen["success"] = code(lambda: sfn.send_task_success(taskToken=token, output=json.dumps({"by": "pizza-oven-1"})))
    seen["again"] = code(lambda: sfn.send_task_success(taskToken=token, output="{}"))

    described = None
    for _ in range(200):
        described = sfn.describe_execution(executionArn=execution)
        if described["status"] != "RUNNING":
            break
        time.sleep(0.02)
    seen["status"] = described["status"]
    seen["output"] = json.loads(described["output"])
    seen["stopDateAfterStart"] = described["stopDate"] >= described["startDate"]

    pages = sfn.get_paginator("get_execution_history").paginate(executionArn=execution, PaginationConfig={"PageSize": 3})
    types = [e["type"] for page in pages for e in page["events"]]
    seen["historyTypes"] = types
    newest = sfn.get_execution_history(executionArn=execution, reverseOrder=True, maxResults=1, includeExecutionData=False)["events"][0]
    seen["newest"] = {"type": newest["type"], "hasOutput": "output" in newest.get("executionSucceededEventDetails", {})}

    second = sfn.start_execution(stateMachineArn=arn, name="ord-2", input=json.dumps({"orderId": "ord-2"}))["executionArn"]
    sfn.stop_execution(executionArn=second, error="Order.Cancelled", cause="guest left")
    stopped = sfn.describe_execution(executionArn=second)
    seen["stopped"] = {"status": stopped["status"], "error": stopped.get("error"), "cause": stopped.get("cause")}
    seen["listed"] = sorted((e["name"], e["status"]) for e in sfn.list_executions(stateMachineArn=arn)["executions"])
    seen["listedAborted"] = [e["name"] for e in sfn.list_executions(stateMachineArn=arn, statusFilter="ABORTED")["executions"]]
    seen["machines"] = [m["name"] for m in sfn.list_state_machines()["stateMachines"]]
    print(json.dumps(seen, separators=(",", ":")))


if __name__ == "__main__":
    main(sys.argv[1])

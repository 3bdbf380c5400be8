// xunit also defines a Record type; the tests mean the Kafka one.
global using Record = Freshet.Protocol.Records.Record;

package dev.llmotel.dialect.livekittwirp;

/**
 * Where a LiveKit request names its room: the protobuf field number and the JSON names of that field, per method
 * (from LiveKit's protocol: e.g. {@code CreateRoomRequest.name = 1}, {@code DeleteRoomRequest.room = 1},
 * {@code CreateAgentDispatchRequest.room = 2}, {@code RoomCompositeEgressRequest.room_name = 1},
 * {@code CreateSIPParticipantRequest.room_name = 3}). Methods not listed name no single room (e.g. {@code ListRooms}).
 */
final class RoomField {
  final int number;
  final String[] jsonNames;

  private RoomField(int number, String... jsonNames) {
    this.number = number;
    this.jsonNames = jsonNames;
  }

  private static final RoomField NAME_1 = new RoomField(1, "name");
  private static final RoomField ROOM_1 = new RoomField(1, "room");
  private static final RoomField ROOM_2 = new RoomField(2, "room");
  private static final RoomField ROOM_NAME_1 = new RoomField(1, "room_name", "roomName");
  private static final RoomField ROOM_NAME_2 = new RoomField(2, "room_name", "roomName");
  private static final RoomField ROOM_NAME_3 = new RoomField(3, "room_name", "roomName");

  /** The room field of {@code service}'s {@code method}'s request, or null. */
  static RoomField of(String service, String method) {
    switch (service) {
      case "livekit.RoomService":
        switch (method) {
          case "CreateRoom":
            return NAME_1;
          case "DeleteRoom": case "ListParticipants": case "GetParticipant": case "RemoveParticipant":
          case "MutePublishedTrack": case "UpdateParticipant": case "UpdateSubscriptions": case "SendData":
          case "UpdateRoomMetadata": case "ForwardParticipant": case "MoveParticipant": case "PerformRpc":
            return ROOM_1;
          default:
            return null;
        }
      case "livekit.AgentDispatchService":
        return ROOM_2;
      case "livekit.Egress":
        switch (method) {
          case "StartRoomCompositeEgress": case "StartTrackCompositeEgress": case "StartTrackEgress":
          case "StartParticipantEgress": case "ListEgress":
            return ROOM_NAME_1;
          default:
            return null;
        }
      case "livekit.Ingress":
        switch (method) {
          case "CreateIngress": case "UpdateIngress":
            return ROOM_NAME_3;
          case "ListIngress":
            return ROOM_NAME_1;
          default:
            return null;
        }
      case "livekit.SIP":
        switch (method) {
          case "CreateSIPParticipant":
            return ROOM_NAME_3;
          case "TransferSIPParticipant":
            return ROOM_NAME_2;
          default:
            return null;
        }
      default:
        return null;
    }
  }
}

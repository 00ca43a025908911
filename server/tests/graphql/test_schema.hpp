// The specification's example schema (section 5), extended with the
// Arguments type and a Subscription root used by the validation examples.
#pragma once

#include <string_view>

namespace parley::graphql::testing {

inline constexpr std::string_view kPetSchema = R"(
type Query {
  dog: Dog
  findDog(searchBy: FindDogInput): Dog
  arguments: Arguments
  human: Human
  pet: Pet
  catOrDog: CatOrDog
  search(by: SearchBy): String
}
type Mutation { renameDog(name: String!): Dog }
type Subscription {
  newMessage: Message
  disallowedSecondRootField: Boolean
}
type Message { body: String sender: String }
enum DogCommand { SIT, DOWN, HEEL }
type Dog implements Pet {
  name: String!
  nickname: String
  barkVolume: Int
  doesKnowCommand(dogCommand: DogCommand!): Boolean!
  isHouseTrained(atOtherHomes: Boolean): Boolean!
  owner: Human
}
interface Sentient { name: String! }
interface Pet { name: String! }
type Alien implements Sentient { name: String! homePlanet: String }
type Human implements Sentient { name: String! pets: [Pet!] }
enum CatCommand { JUMP }
type Cat implements Pet {
  name: String!
  nickname: String
  doesKnowCommand(catCommand: CatCommand!): Boolean!
  meowVolume: Int
}
union CatOrDog = Cat | Dog
union DogOrHuman = Dog | Human
union HumanOrAlien = Human | Alien
input FindDogInput { name: String owner: String }
input SearchBy @oneOf { name: String id: ID }
type Arguments {
  multipleRequirements(x: Int!, y: Int!): Int!
  booleanArgField(booleanArg: Boolean): Boolean
  floatArgField(floatArg: Float): Float
  intArgField(intArg: Int): Int
  nonNullBooleanArgField(nonNullBooleanArg: Boolean!): Boolean!
  booleanListArgField(booleanListArg: [Boolean]!): [Boolean]
  optionalNonNullBooleanArgField(optionalBooleanArg: Boolean! = false): Boolean!
  stringListNonNullArgField(stringListNonNullArg: [String!]): String
}
)";

}  // namespace parley::graphql::testing

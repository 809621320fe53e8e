import { UserRoomIndex } from './user-room-index.js';

describe('UserRoomIndex', () => {
  it('lists a user’s rooms in join order, each once, through the change from one room to several', () => {
    const index = new UserRoomIndex();
    expect(index.roomsOf('ada')).toEqual([]);
    index.add('ada', 'r1');
    index.add('ada', 'r1');
    expect(index.roomsOf('ada')).toEqual(['r1']);
    index.add('ada', 'r2');
    index.add('ada', 'r3');
    index.add('ada', 'r2');
    index.add('bob', 'r2');
    expect(index.roomsOf('ada')).toEqual(['r1', 'r2', 'r3']);
    expect(index.roomsOf('bob')).toEqual(['r2']);
  });

  it('forgets rooms the user left, and the user once no room is left', () => {
    const index = new UserRoomIndex();
    index.add('ada', 'r1');
    index.remove('ada', 'other');
    expect(index.roomsOf('ada')).toEqual(['r1']);
    index.remove('ada', 'r1');
    expect(index.roomsOf('ada')).toEqual([]);
    index.add('ada', 'r1');
    index.add('ada', 'r2');
    index.remove('ada', 'r1');
    index.remove('ada', 'r9');
    expect(index.roomsOf('ada')).toEqual(['r2']);
    index.remove('ada', 'r2');
    expect(index.roomsOf('ada')).toEqual([]);
    index.add('ada', 'r3');
    expect(index.roomsOf('ada')).toEqual(['r3']);
  });

  it('hands out copies: changing a returned list changes nothing', () => {
    const index = new UserRoomIndex();
    index.add('ada', 'r1');
    index.add('ada', 'r2');
    index.roomsOf('ada').push('r9');
    expect(index.roomsOf('ada')).toEqual(['r1', 'r2']);
  });
});
